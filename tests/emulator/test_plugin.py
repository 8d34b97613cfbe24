"""The pytest plugin (a pytest11 entry point) and the cost of importing the package."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest_plugins = ("pytester",)


def test_fixture_is_fresh_per_test_and_takes_marker_options(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        """
        import pytest

        def test_first(azure_openai_emulator):
            client = azure_openai_emulator.client()
            client.assistants.create(model="gpt-4o")
            assert len(azure_openai_emulator.state.assistant_list()) == 1

        def test_second_starts_empty(azure_openai_emulator):
            assert azure_openai_emulator.state.assistant_list() == []
            assert azure_openai_emulator.history == []

        @pytest.mark.azure_openai_emulator(progress="manual", seed=7)
        def test_marker(azure_openai_emulator):
            assert azure_openai_emulator.progress == "manual"
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "--strict-markers")
    result.assert_outcomes(passed=3)


def test_importing_stays_cheap() -> None:
    code = (
        "import sys, azure_oai_preview, azure_oai_preview.testing, azure_oai_preview.testing.pytest_plugin\n"
        "heavy = [m for m in ('pydantic', 'httpx', 'starlette', 'uvicorn', 'azure_oai_preview.testing._emulator')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "[]"


def test_in_process_use_needs_no_server_packages() -> None:
    code = (
        "import sys\n"
        "sys.modules['starlette'] = None; sys.modules['uvicorn'] = None\n"
        "from azure_oai_preview.testing import Emulator\n"
        "client = Emulator().client(deployment='gpt-4o')\n"
        "print(client.chat.completions.create(messages=[{'role': 'user', 'content': 'x'}]).choices[0].message.content)\n"
        "try:\n"
        "    Emulator().serve()\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    lines = output.stdout.splitlines()
    assert lines[0] == 'You said: "x"'
    assert "pip install 'azure-oai-preview[testing]'" in lines[1]
