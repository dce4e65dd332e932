"""Finding definitions: a Python file, an importable module, or a JSON repository definition.

Python definitions are imported (their ``FeatureView`` subclasses collected); a JSON repository is
parsed as data (never executed, never unpickled). Anything the definitions print while loading goes
to stderr, so ``featsql compile defs.py > out.sql`` stays clean.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from featsql import ir
from featsql.cli.errors import DefinitionsError
from featsql.errors import FeatSQLError


@dataclass
class Definitions:
    """What a DEFS argument holds: the views, and the loaded module's namespace (for other objects)."""

    origin: str
    views: list[ir.View]
    namespace: dict[str, Any] = field(default_factory=dict)

    def view(self, name: str) -> ir.View:
        for view in self.views:
            if view.name == name:
                return view
        import click

        raise click.UsageError(
            f"no view named '{name}' in {self.origin}; "
            f"it has: {', '.join(v.name for v in self.views) or 'none'}"
        )

    def store(self) -> Any:
        """A :class:`~featsql.FeatureStore` of the views."""
        from featsql.store import FeatureStore

        return FeatureStore(self.views)


def load_definitions(defs: str) -> Definitions:
    """Load ``defs``: ``path/to/defs.py``, ``package.module`` or ``repository.json``."""
    path = Path(defs)
    if defs.endswith(".json"):
        return _load_json(path)
    if defs.endswith(".py") or path.is_file():
        if not path.is_file():
            raise DefinitionsError(f"no such file: {defs}")
        module = _import_file(path)
    else:
        module = _import_module(defs)
    return _collect(defs, module)


def _load_json(path: Path) -> Definitions:
    from featsql.repository import views_from_json

    if not path.is_file():
        raise DefinitionsError(f"no such file: {path}")
    try:
        views = views_from_json(path.read_text(encoding="utf-8"))
    except (FeatSQLError, UnicodeDecodeError) as error:
        raise DefinitionsError(f"{path}: {error}") from error
    _check_unique_names(str(path), views)
    return Definitions(str(path), views)


def _import_file(path: Path) -> ModuleType:
    path = path.resolve()
    name = f"featsql_defs_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise DefinitionsError(f"cannot import {path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and typing look modules up by name
    sys.path.insert(0, str(path.parent))  # sibling imports work as with `python defs.py`
    try:
        with contextlib.redirect_stdout(sys.stderr):
            spec.loader.exec_module(module)
    except Exception as error:
        sys.modules.pop(name, None)
        raise DefinitionsError(f"cannot load {path.name}: {_describe(error)}") from error
    finally:
        sys.path.remove(str(path.parent))
    return module


def _import_module(name: str) -> ModuleType:
    if not all(part.isidentifier() for part in name.split(".")):
        raise DefinitionsError(
            f"'{name}' is neither a file nor a module name (expected defs.py, pkg.module or repo.json)"
        )
    sys.path.insert(0, str(Path.cwd()))
    try:
        with contextlib.redirect_stdout(sys.stderr):
            return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name and name.startswith(error.name):
            raise DefinitionsError(f"no file or module named '{name}'") from error
        raise DefinitionsError(f"cannot load module {name}: {_describe(error)}") from error
    except Exception as error:
        raise DefinitionsError(f"cannot load module {name}: {_describe(error)}") from error
    finally:
        sys.path.remove(str(Path.cwd()))


def _describe(error: BaseException) -> str:
    if isinstance(error, FeatSQLError):
        return str(error)
    if isinstance(error, SyntaxError):
        return f"syntax error at line {error.lineno}: {error.msg}"
    return f"{type(error).__name__}: {error}"


def _collect(origin: str, module: ModuleType) -> Definitions:
    from featsql.view import FeatureView

    seen: dict[int, ir.View] = {}
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, FeatureView) and value is not FeatureView:
            if "__featsql_view__" in value.__dict__:
                seen.setdefault(id(value), value.ir())
    views = list(seen.values())
    if not views:
        raise DefinitionsError(f"{origin} defines no FeatureView subclass")
    _check_unique_names(origin, views)
    return Definitions(origin, views, dict(vars(module)))


def _check_unique_names(origin: str, views: list[ir.View]) -> None:
    names = [v.name for v in views]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise DefinitionsError(f"{origin}: more than one view is named {', '.join(duplicates)}")
