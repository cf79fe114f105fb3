"""Can this device speak? The engine, the recorded clips, and a sound output to hear them on. Kivy-free."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

from kiosk.speech.engines import CommandPlayer, make_engine
from kiosk.speech.settings import SpeechSettings


def sound_outputs(root: Path, environ: Mapping[str, str]) -> list[str]:
    """Where sound can go: ALSA playback devices (``/dev/snd/pcmC*D*p``) and a PulseAudio or PipeWire server."""
    found = [f"sound card {p.name}" for p in sorted((root / "dev" / "snd").glob("pcmC*D*p"))]
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    if environ.get("PULSE_SERVER") or (runtime and (Path(runtime) / "pulse" / "native").exists()):
        found.append("PulseAudio")
    if runtime and (Path(runtime) / "pipewire-0").exists():
        found.append("PipeWire")
    return found


def speech_problems(settings: SpeechSettings, root: Path, environ: Mapping[str, str]) -> tuple[str, list[str]]:
    """(what works, [problems in plain words]) for ``kiosk doctor``."""
    if not settings.enabled:
        return "Reading aloud is switched off ([speech] enabled = false).", []
    engine = make_engine(settings)
    problems = []
    if engine.problem():
        problems.append(f"the speaker button is hidden: {engine.problem()}")
    if settings.recordings:
        folder = Path(settings.recordings)
        if not folder.is_dir():
            problems.append(f"the recordings folder {folder} does not exist")
        elif CommandPlayer().problem():
            problems.append(f"recorded clips cannot be played: {CommandPlayer().problem()}")
    outputs = sound_outputs(root, environ)
    if not outputs and settings.engine != "android":
        problems.append("no sound output found (no sound card, no PulseAudio or PipeWire): nobody will hear it")
    cards = sorted((root / "dev" / "snd").glob("pcmC*D*p"))
    if cards and len(outputs) == len(cards) and not any(os.access(card, os.W_OK) for card in cards):
        problems.append("this user may not use the sound card (add it to the audio group: usermod -a -G audio USER)")
    return f"{engine.name}, {settings.rate} words a minute; sound to {', '.join(outputs) or 'nowhere'}.", problems
