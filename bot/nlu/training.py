"""Train only when what the model is built from has changed: nlu/ config and data, the tokenizer's
code and the Rasa version. The fingerprint is in the model's file name, so "is it stale?" needs no
Rasa import and a second `make run` starts at once."""

from __future__ import annotations

import ast
import hashlib
import os
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from bot.errors import ModelNotTrained

MODEL_PREFIX = "nlu-"
# Our own pipeline components, and how their models are written: a change must retrain.
_HERE = Path(__file__).parent
_COMPONENT_SOURCES = (
    _HERE / "tokenizer.py",
    _HERE / "intent_classifier.py",
    _HERE / "entity_extractor.py",
    _HERE / "risk_screen.py",
    _HERE / "cue_lists.py",
    _HERE / "scam_signals.py",
    _HERE / "safe_load.py",
    _HERE.parent / "core" / "labels.py",
)


def training_inputs(nlu_dir: Path) -> list[Path]:
    return [nlu_dir / "config.yml", *sorted((nlu_dir / "data").rglob("*.yml"))]


def fingerprint(nlu_dir: Path) -> str:
    """Our components count by their syntax tree, so reformatting or comments do not retrain."""
    digest = hashlib.sha256(metadata.version("rasa").encode())
    for source in _COMPONENT_SOURCES:
        digest.update(ast.dump(ast.parse(source.read_text(encoding="utf-8"))).encode())
    for path in training_inputs(nlu_dir):
        digest.update(path.relative_to(nlu_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path(nlu_dir: Path, models_dir: Path) -> Path:
    return models_dir / f"{MODEL_PREFIX}{fingerprint(nlu_dir)}.tar.gz"


def current_model(nlu_dir: Path, models_dir: Path) -> Path:
    path = model_path(nlu_dir, models_dir)
    if not path.exists():
        raise ModelNotTrained(
            f"No NLU model matches the current nlu/ data ({path.name}). "
            "Run `waspada nlu train` (or `make setup`)."
        )
    return path


def train(
    nlu_dir: Path, models_dir: Path, *, say: Callable[[str], None] = print, force: bool = False
) -> Path:
    """Returns the model path; trains only when stale. Older models are removed after success."""
    target = model_path(nlu_dir, models_dir)
    if target.exists() and not force:
        say(f"NLU model is up to date ({target.name}).")
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    say(f"Training the NLU model from {nlu_dir} (about 1-2 minutes)…")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("RASA_CACHE_DIRECTORY", str(models_dir.parent / "rasa-cache"))
    # Rasa's cache keys a component by its config, not its code: after an edit to our
    # classifier it would reuse the old one under the new model's name. We only train when
    # something changed, so the cache has nothing to save us.
    os.environ.setdefault("RASA_MAX_CACHE_SIZE", "0")
    from rasa.model_training import train_nlu

    started = time.monotonic()
    produced = train_nlu(
        config=str(nlu_dir / "config.yml"),
        nlu_data=str(nlu_dir / "data"),
        output=str(models_dir),
        fixed_model_name=target.name.removesuffix(".tar.gz"),
    )
    if not produced or not Path(produced).exists():
        raise ModelNotTrained("Rasa did not produce a model; see the messages above.")
    for old in models_dir.glob(f"{MODEL_PREFIX}*.tar.gz"):
        if old != target:
            old.unlink()
    say(f"Trained {target.name} in {time.monotonic() - started:.0f} s.")
    return target
