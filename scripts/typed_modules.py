"""Print what `make lint` type-checks: app/common (strictly), app/models, and every service module,
read from the import-linter contract "Services know nothing of HTTP" in pyproject.toml, so a new
service module is checked as soon as the contract names it. Fails when the contract names a module
that does not exist."""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = "Services know nothing of HTTP"
ALWAYS = ["app/common", "app/models"]


def service_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = [c for c in config["tool"]["importlinter"]["contracts"] if c["name"].startswith(CONTRACT)]
    if len(contracts) != 1:
        sys.exit(f"typed_modules: expected one import-linter contract named {CONTRACT!r}, found {len(contracts)}")
    return list(contracts[0]["source_modules"])


def module_path(module: str) -> str:
    """app.auth.accounts -> app/auth/accounts.py (or the package folder app/auth/accounts)."""
    path = module.replace(".", "/")
    if (ROOT / f"{path}.py").is_file():
        return f"{path}.py"
    if (ROOT / path / "__init__.py").is_file():
        return path
    sys.exit(f"typed_modules: {module} is named in the contract {CONTRACT!r} but does not exist")


def main() -> None:
    print(" ".join(ALWAYS + [module_path(module) for module in service_modules()]))


if __name__ == "__main__":
    main()
