"""Command line: ``python -m codegen {sync,default,generate,diff,mock-spec,check-examples,docs,drill}``."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from codegen.paths import CACHE_DIR, MANIFEST_FILE, MIRROR_ENV, MODELS_DIR
from codegen.pins import Document, PinError
from codegen.spec import SpecMissingError
from codegen.swagger import ConversionError
from codegen.transforms import StaleTransformError, TransformError


def _cmd_sync(args: argparse.Namespace) -> int:
    from codegen.sync import SyncError, mirror_from_env, sync

    mirror = Path(args.mirror) if args.mirror else mirror_from_env()
    cache_dir = Path(args.cache_dir) if args.cache_dir else CACHE_DIR
    try:
        sync(mirror=mirror, versions=args.api_version or None, cache_dir=cache_dir)
    except SyncError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _documents(version: str | None, only: str | None) -> list[Document]:
    from codegen.pins import DOCUMENTS, document_pin

    wanted: list[Document] = [d for d in DOCUMENTS if only in (None, d)]
    return [d for d in wanted if document_pin(version, d) is not None]


def _synced_examples(document: Document) -> list[str]:
    """Pinned versions whose examples of ``document`` are in the cache (for hints)."""
    from codegen.paths import document_files
    from codegen.pins import load_pins

    folder = document_files(document)[1]
    return [
        pin.api_version
        for pin in load_pins()
        if any((CACHE_DIR / pin.api_version / folder).glob("*.json"))
    ]


def _cmd_check_examples(args: argparse.Namespace) -> int:
    try:
        from codegen.validate import check_examples
    except ModuleNotFoundError as exc:  # jsonschema: the `codegen` dependency group
        print(
            f"error: check-examples needs {exc.name}: install the `codegen` dependency group "
            "(part of `dev`: README, Regenerating the models)",
            file=sys.stderr,
        )
        return 2
    from codegen.pins import default_version, document_pin
    from codegen.spec import load_examples, load_spec

    version = args.api_version or default_version()
    total = 0
    empty: list[str] = []
    for document in _documents(version, args.document):
        spec = load_spec(version, transformed=not args.no_transforms, document=document)
        source = args.examples_from or version
        if document_pin(source, document) is None:  # that version has no such document
            examples, missing = [], []
        else:
            examples, missing = load_examples(source, spec=None, document=document)
        violations = check_examples(spec, examples)
        for violation in violations:
            print(violation)
        for ref in missing:
            print(f"(example not available: {ref})", file=sys.stderr)
        print(
            f"{document}: {len(examples)} examples, {len(violations)} violations", file=sys.stderr
        )
        total += len(violations)
        if not examples:
            pinned = document_pin(source, document)
            files = pinned.api_version if pinned is not None else source
            synced = [v for v in _synced_examples(document) if v != files]
            hint = (
                f"pass --examples-from with a version that has them ({', '.join(synced)})"
                if synced
                else "sync a mirror that has them (`python -m codegen sync --from DIR`)"
            )
            empty.append(
                f"{document}: no example of {files} is available ({len(missing)} referenced), "
                f"so nothing was checked: {hint}"
            )
    for message in empty:
        print(f"error: {message}", file=sys.stderr)
    print(f"{total} violations", file=sys.stderr)
    return 1 if total or empty else 0


def _cmd_mock_spec(args: argparse.Namespace) -> int:
    from codegen.spec import load_spec, mock_ready

    spec = mock_ready(
        load_spec(args.api_version, transformed=not args.no_transforms, document=args.document)
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(spec, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


def _committed_version(models_dir: Path) -> str | None:
    manifest = models_dir / MANIFEST_FILE
    if not manifest.is_file():
        return None
    match = re.search(
        r'^API_VERSION = "([^"]+)"', manifest.read_text(encoding="utf-8"), re.MULTILINE
    )
    return match.group(1) if match else None


def _cmd_generate(args: argparse.Namespace) -> int:
    from codegen.generate import check, generate, write
    from codegen.pins import get_pin

    version = get_pin(args.api_version).api_version
    try:
        generated = generate(version)
    except SpecMissingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for warning in generated.ir.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.check:
        against = Path(args.against) if args.against else MODELS_DIR
        problems = check(generated, against)
        if problems:
            for problem in problems:
                print(problem, file=sys.stderr)
            print(
                f"generated code for {version} is out of date: run `python -m codegen generate"
                f"{'' if version == args.default_version else ' --api-version ' + version}`",
                file=sys.stderr,
            )
            return 1
        print(f"generated code for {version} is up to date", file=sys.stderr)
        return 0
    out = Path(args.out) if args.out else MODELS_DIR
    previous = _committed_version(out)
    for path in write(generated, out):
        print(f"{'wrote' if path.exists() else 'removed'} {path}", file=sys.stderr)
    if previous and previous != version:
        from codegen.diff import versions_changelog
        from codegen.pins import load_pins

        if previous in {pin.api_version for pin in load_pins()}:
            try:
                print(versions_changelog(previous, version))
            except SpecMissingError as exc:
                print(f"(no changelog from {previous}: {exc})", file=sys.stderr)
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from codegen.diff import versions_changelog

    try:
        print(versions_changelog(args.old, args.new), end="")
    except SpecMissingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _cmd_docs(args: argparse.Namespace) -> int:
    from codegen.docs import update_docs
    from codegen.paths import REPO_ROOT

    status = 0
    for page in update_docs(check=args.check):
        name = page.path.relative_to(REPO_ROOT).as_posix()
        if page.refreshed != page.current:
            if args.check:
                print(f"{name} is out of date: run `python -m codegen docs`", file=sys.stderr)
                status = 1
            else:
                print(f"updated {name}", file=sys.stderr)
        for line in page.stray:
            print(
                f"{name}:{line}\n  names a pinned api-version: write the default as "
                "`api-version=<version>` (kept current by `python -m codegen docs`), or leave "
                "the version out",
                file=sys.stderr,
            )
            status = 1
    return status


def _cmd_default(args: argparse.Namespace) -> int:
    from codegen.pins import default_version, set_default

    before = default_version()
    for path in set_default(args.api_version):
        print(f"wrote {path}", file=sys.stderr)
    if before == args.api_version:
        print(f"{args.api_version} already is the default", file=sys.stderr)
    else:
        print(f"default api-version: {before} -> {args.api_version}", file=sys.stderr)
    return 0


def _cmd_drill(args: argparse.Namespace) -> int:
    from codegen.drill import DrillError, run
    from codegen.sync import mirror_from_env

    mirror = args.mirror or (str(found) if (found := mirror_from_env()) else None)
    try:
        return run(new=args.to, mirror=mirror, keep=args.keep)
    except DrillError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "sync", help="copy/download the pinned specs into .spec-cache/, checking sha256"
    )
    p.add_argument(
        "--from", dest="mirror", metavar="DIR", help=f"local mirror (default: ${MIRROR_ENV})"
    )
    p.add_argument("--api-version", action="append", help="only this version (repeatable)")
    p.add_argument("--cache-dir", help=argparse.SUPPRESS)  # tests sync into a scratch cache
    p.set_defaults(func=_cmd_sync)

    p = sub.add_parser("generate", help="generate the models and the operations manifest")
    p.add_argument("--api-version", help="pinned version to generate (default: the default pin)")
    p.add_argument("--out", metavar="DIR", help="write the two files here instead of the package")
    p.add_argument(
        "--check", action="store_true", help="fail if the committed files are out of date"
    )
    p.add_argument("--against", metavar="DIR", help=argparse.SUPPRESS)  # --check another directory
    p.set_defaults(func=_cmd_generate, default_version=None)

    p = sub.add_parser("diff", help="print what changed between two pinned api-versions")
    p.add_argument("old")
    p.add_argument("new")
    p.set_defaults(func=_cmd_diff)

    p = sub.add_parser(
        "default", help="make a pinned api-version the default (`default = true` in its pin)"
    )
    p.add_argument("api_version", metavar="VERSION")
    p.set_defaults(func=_cmd_default)

    p = sub.add_parser(
        "docs", help="refresh the transform table and the default api-version in the docs"
    )
    p.add_argument("--check", action="store_true")
    p.set_defaults(func=_cmd_docs)

    p = sub.add_parser(
        "drill", help="rehearse an upgrade: the README's maintainer steps on a scratch copy"
    )
    p.add_argument("--to", metavar="VERSION", help="default: the newest pin after the default")
    p.add_argument(
        "--from", dest="mirror", metavar="DIR", help=f"spec mirror (default: ${MIRROR_ENV})"
    )
    p.add_argument("--keep", action="store_true", help="keep the scratch copy")
    p.set_defaults(func=_cmd_drill)

    p = sub.add_parser("check-examples", help="validate the spec's examples against its schemas")
    p.add_argument("--api-version")
    p.add_argument("--examples-from", metavar="VERSION", help="use another version's examples")
    p.add_argument("--no-transforms", action="store_true", help="check the raw upstream spec")
    p.add_argument("--document", choices=["inference", "authoring"], help="only this document")
    p.set_defaults(func=_cmd_check_examples)

    p = sub.add_parser("mock-spec", help="write the spec for a mock server (no x-ms-examples)")
    p.add_argument("--api-version")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--no-transforms", action="store_true")
    p.add_argument(
        "--document", choices=["inference", "authoring"], default="inference", help="which document"
    )
    p.set_defaults(func=_cmd_mock_spec)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "default_version", "unset") is None:
        from codegen.pins import default_version

        args.default_version = default_version()
    try:
        result: int = args.func(args)
    except SpecMissingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (StaleTransformError, TransformError, PinError, ConversionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return result
