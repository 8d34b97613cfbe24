"""The changelog between two api-versions (``python -m codegen diff``), in parts:

* :mod:`.records`: what one difference is (its key, its text, when it is breaking);
* :mod:`.typesets`: whether one type accepts every value of another (narrowed or widened);
* :mod:`.declarations`: differences of models (fields: type, required, nullable, read-only,
  description, default, bounds, format), enums, unions and aliases;
* :mod:`.usage`: which declarations each operation's request and response reach, and by which
  field path;
* :mod:`.operations`: per operation, its own differences and those of what it reaches, on the
  request side and the response side;
* :mod:`.areas`: removed operations and the declarations only they used, grouped per document
  and API area;
* :mod:`.provenance`: which differences this project's spec transforms make (they are absent
  when both versions are compared as upstream ships them), and which transforms;
* :mod:`.render`: the text.

:mod:`codegen.diff` puts them together.
"""
