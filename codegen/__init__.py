"""Code generator for azure-oai-preview: pinned OpenAPI spec -> transforms -> IR -> Python.

Run it as ``python -m codegen``; it is a development tool and not part of the wheel.
"""
