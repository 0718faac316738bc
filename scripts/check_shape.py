"""The shape rule `make lint` holds: no function over 60 lines and no file over 400 lines in app/
(migrations are generated, so they are left out). Names each offender and fails if there is one."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60


def offences(path: Path) -> list[str]:
    text = path.read_text()
    name = path.relative_to(ROOT)
    found = []
    lines = text.count("\n")
    if lines > MAX_FILE_LINES:
        found.append(f"{name}: {lines} lines (at most {MAX_FILE_LINES})")
    for node in ast.walk(ast.parse(text, filename=str(name))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{name}:{node.lineno}: {node.name}() is {length} lines (at most {MAX_FUNCTION_LINES})")
    return found


def main() -> None:
    files = sorted(p for p in (ROOT / "app").rglob("*.py") if "migrations" not in p.relative_to(ROOT).parts)
    found = [offence for path in files for offence in offences(path)]
    if found:
        print("\n".join(found))
        sys.exit(f"check_shape: {len(found)} over the limit")
    print(f"check_shape: {len(files)} files, none over the limit")


if __name__ == "__main__":
    main()
