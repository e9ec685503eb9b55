#!/usr/bin/env python3
# A page of Documentation/ as a manual page: docutils' own man writer,
# with the Sphinx role :doc:`x` (which plain docutils does not know)
# rendered as the page it names.
#   scripts/rst2man.py <page.rst> <out.8> [<subtitle>]
# The subtitle is the NAME line's description when the page has none.
import io
import sys

from docutils import nodes
from docutils.core import publish_file
from docutils.parsers.rst import roles


def doc_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    page = text.split('<')[-1].rstrip('>').strip() if '<' in text else text
    return [nodes.emphasis(rawtext, page.rsplit('/', 1)[-1])], []


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: rst2man.py <page.rst> <out.8> [<subtitle>]")
    roles.register_local_role('doc', doc_role)
    src, out = sys.argv[1], sys.argv[2]
    with open(src, encoding='utf-8') as f:
        text = f.read()
    lines = text.split('\n')
    # After the title (its three lines) and the subtitle: what the man
    # writer takes for NAME's description, and the docinfo it reads the
    # section from.
    at = 3
    if len(sys.argv) == 4:
        bar = '-' * len(sys.argv[3])
        lines[at:at] = ['', bar, sys.argv[3], bar]
        at += 4
    elif lines[at + 1].startswith('---'):
        at += 4
    lines[at:at] = ['', ':Manual section: 8', ':Manual group: LeapIO', '']
    with open(out, 'w', encoding='utf-8') as f:
        publish_file(source=io.StringIO('\n'.join(lines)), destination=f,
                     writer_name='manpage',
                     settings_overrides={'report_level': 2, 'halt_level': 2})


if __name__ == '__main__':
    main()
