"""`python -m codegen sync`: sha256 verification before anything lands, idempotence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codegen.cachefile import sha256_bytes
from codegen.paths import EXAMPLES_LISTING, SPEC_FILE
from codegen.pins import get_pin
from codegen.sync import SyncError, sync

from .conftest import EXAMPLES_VERSION, NEXT_VERSION, find_mirror


def snapshot(root: Path) -> dict[str, bytes | None]:
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    source = find_mirror()
    if source is None:
        pytest.fail("these tests need the spec mirror (shared/specs or $AZURE_OAI_SPEC_MIRROR)")
    copy = tmp_path / "mirror"
    shutil.copytree(source, copy)
    return copy


def tamper(mirror: Path, version: str) -> str:
    path = mirror / version / SPEC_FILE
    data = bytearray(path.read_bytes())
    data[100] ^= 0x01
    path.write_bytes(bytes(data))
    return sha256_bytes(bytes(data))


@pytest.mark.parametrize("cache_state", ["empty", "stale"])
def test_tampered_mirror_is_refused_and_cache_untouched(
    mirror: Path, tmp_path: Path, cache_state: str
) -> None:
    cache = tmp_path / "cache"
    if cache_state == "stale":
        # An older file already in the cache must survive a refused sync byte for byte.
        (cache / EXAMPLES_VERSION).mkdir(parents=True)
        (cache / EXAMPLES_VERSION / SPEC_FILE).write_bytes(b'{"old": true}')
    bad_hash = tamper(mirror, EXAMPLES_VERSION)
    before = snapshot(cache)
    with pytest.raises(SyncError) as failure:
        sync(mirror=mirror, versions=[EXAMPLES_VERSION], cache_dir=cache, log=lambda _: None)
    message = str(failure.value)
    assert get_pin(EXAMPLES_VERSION).sha256 in message
    assert bad_hash in message
    assert snapshot(cache) == before


def test_cli_exits_non_zero_on_tampered_mirror(mirror: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from codegen.paths import REPO_ROOT

    bad_hash = tamper(mirror, EXAMPLES_VERSION)
    cache = tmp_path / "cache"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "codegen",
            "sync",
            "--from",
            str(mirror),
            "--api-version",
            EXAMPLES_VERSION,
            "--cache-dir",
            str(cache),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        check=False,
    )
    assert result.returncode == 1
    assert bad_hash in result.stderr
    assert get_pin(EXAMPLES_VERSION).sha256 in result.stderr
    assert not cache.exists()


def test_good_sync_is_idempotent_and_copies_examples(mirror: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    logged: list[str] = []
    sync(mirror=mirror, cache_dir=cache, log=logged.append)
    assert any("synced spec" in line for line in logged)
    first = snapshot(cache)
    pin = get_pin(EXAMPLES_VERSION)
    assert sha256_bytes(first[f"{EXAMPLES_VERSION}/{SPEC_FILE}"] or b"") == pin.sha256
    examples = sorted(p.name for p in (mirror / EXAMPLES_VERSION / "examples").iterdir())
    listing = (cache / EXAMPLES_VERSION / EXAMPLES_LISTING).read_text().splitlines()
    assert [line.split("  ", 1)[1] for line in listing] == examples
    for line in listing:
        digest, name = line.split("  ", 1)
        assert sha256_bytes((cache / EXAMPLES_VERSION / "examples" / name).read_bytes()) == digest
    authoring = pin.authoring
    assert authoring is not None
    assert sha256_bytes(first[f"{EXAMPLES_VERSION}/authoring.json"] or b"") == authoring.sha256
    authoring_listing = (cache / EXAMPLES_VERSION / "authoring-examples.sha256").read_text()
    assert "put_ingestion_job_sc.json" in authoring_listing
    again: list[str] = []
    sync(mirror=mirror, cache_dir=cache, log=again.append)
    assert all(line.endswith("up to date") for line in again), again
    assert snapshot(cache) == first
    assert not list(cache.rglob("*.tmp"))


def test_download_failure_is_a_sync_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib.request

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("network is unreachable")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    with pytest.raises(SyncError, match=r"raw\.githubusercontent\.com"):
        sync(mirror=None, versions=[EXAMPLES_VERSION], cache_dir=tmp_path / "c", log=lambda _: None)
    assert not (tmp_path / "c").exists()


def test_syncing_a_version_brings_the_authoring_document_it_reuses(
    mirror: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    logged: list[str] = []
    sync(mirror=mirror, versions=[NEXT_VERSION], cache_dir=cache, log=logged.append)
    assert (cache / EXAMPLES_VERSION / "authoring.json").is_file()
    assert not (cache / EXAMPLES_VERSION / SPEC_FILE).exists()  # only what 07 serves
    assert any("(reused)" in line for line in logged)


def test_tampered_authoring_document_is_refused(mirror: Path, tmp_path: Path) -> None:
    path = mirror / EXAMPLES_VERSION / "authoring.json"
    path.write_bytes(path.read_bytes().replace(b"Azure OpenAI", b"Azure 0penAI", 1))
    with pytest.raises(SyncError, match=r"\[authoring\]"):
        sync(
            mirror=mirror, versions=[EXAMPLES_VERSION], cache_dir=tmp_path / "c", log=lambda _: None
        )


def _tamper_example(mirror: Path, name: str) -> None:
    path = mirror / EXAMPLES_VERSION / "authoring-examples" / name
    path.write_bytes(path.read_bytes().replace(b'"id"', b'"evil_id"', 1))


def test_examples_are_checked_against_the_mirrors_sources_listing(
    mirror: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    sync(mirror=mirror, versions=[EXAMPLES_VERSION], cache_dir=cache, log=lambda _: None)
    folder = mirror / EXAMPLES_VERSION / "authoring-examples"
    recorded = {
        line.split("\t")[0]: line.split("\t")[2]
        for line in (folder / "SOURCES.tsv").read_text().splitlines()[1:]
    }
    # Every example copied is one SOURCES.tsv records, with its recorded sha256.
    listing = (cache / EXAMPLES_VERSION / "authoring-examples.sha256").read_text().splitlines()
    assert {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in listing} == recorded
    before = snapshot(cache)
    _tamper_example(mirror, "get_file.json")
    with pytest.raises(SyncError) as failure:
        sync(mirror=mirror, versions=[EXAMPLES_VERSION], cache_dir=cache, log=lambda _: None)
    message = str(failure.value)
    assert "get_file.json" in message
    assert recorded["get_file.json"] in message
    assert sha256_bytes((folder / "get_file.json").read_bytes()) in message
    assert snapshot(cache) == before


@pytest.mark.parametrize("change", ["unlisted", "missing"])
def test_an_example_the_sources_listing_does_not_account_for_is_refused(
    mirror: Path, tmp_path: Path, change: str
) -> None:
    folder = mirror / EXAMPLES_VERSION / "authoring-examples"
    if change == "unlisted":
        (folder / "extra.json").write_text("{}")
        name, why = "extra.json", "not listed in SOURCES.tsv"
    else:
        (folder / "get_file.json").unlink()
        name, why = "get_file.json", "missing from the mirror"
    cache = tmp_path / "cache"
    with pytest.raises(SyncError, match=f"{name}: .*{why}"):
        sync(mirror=mirror, versions=[EXAMPLES_VERSION], cache_dir=cache, log=lambda _: None)
    assert not (cache / EXAMPLES_VERSION / "authoring-examples").exists()


def test_examples_without_a_sources_listing_are_copied_and_said_to_be_unchecked(
    mirror: Path, tmp_path: Path
) -> None:
    assert not (mirror / EXAMPLES_VERSION / "examples" / "SOURCES.tsv").exists()
    logged: list[str] = []
    sync(mirror=mirror, versions=[EXAMPLES_VERSION], cache_dir=tmp_path / "c", log=logged.append)
    assert any("examples/ without a recorded sha256 to check" in line for line in logged)
    assert not any("authoring-examples/ without" in line for line in logged)


def test_a_cached_example_changed_after_sync_is_refused_until_synced_again(
    mirror: Path, tmp_path: Path
) -> None:
    from codegen.spec import SpecCacheError, load_examples

    cache = tmp_path / "cache"
    sync(mirror=mirror, versions=[EXAMPLES_VERSION], cache_dir=cache, log=lambda _: None)
    examples, _ = load_examples(EXAMPLES_VERSION, cache_dir=cache, document="authoring")
    assert any(e.file == "get_file.json" for e in examples)
    cached = cache / EXAMPLES_VERSION / "authoring-examples" / "get_file.json"
    cached.write_bytes(cached.read_bytes().replace(b'"id"', b'"evil_id"', 1))
    with pytest.raises(SpecCacheError, match=r"get_file\.json has sha256 [0-9a-f]{64}, recorded"):
        load_examples(EXAMPLES_VERSION, cache_dir=cache, document="authoring")
    logged: list[str] = []
    sync(mirror=mirror, versions=[EXAMPLES_VERSION], cache_dir=cache, log=logged.append)
    assert f"{EXAMPLES_VERSION}: synced example get_file.json" in logged
    again, _ = load_examples(EXAMPLES_VERSION, cache_dir=cache, document="authoring")
    assert [e.response_body for e in again] == [e.response_body for e in examples]


def test_a_cached_document_changed_after_sync_is_refused(mirror: Path, tmp_path: Path) -> None:
    from codegen.spec import SpecCacheError, load_raw

    cache = tmp_path / "cache"
    sync(mirror=mirror, versions=[EXAMPLES_VERSION], cache_dir=cache, log=lambda _: None)
    bad_hash = tamper(cache, EXAMPLES_VERSION)
    with pytest.raises(SpecCacheError) as failure:
        load_raw(EXAMPLES_VERSION, cache_dir=cache)
    assert bad_hash in str(failure.value)
    assert get_pin(EXAMPLES_VERSION).sha256 in str(failure.value)
