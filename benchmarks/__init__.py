"""Benchmarks against openai-python on identical bytes; run with ``nox -s bench``."""
