"""The README is checked: its quick start, and every command and option it shows exists."""

from __future__ import annotations

import re
import shlex

import click
import pytest

from eventwire.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMAND_LINES = [
    line.split("#")[0].strip()
    for line in README.splitlines()
    if line.strip().startswith(("eventwire ", "cat "))
]


def test_quick_start_is_two_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick, re.S)
    assert block is not None
    commands = [ln.split("#")[0].strip() for ln in block.group(1).splitlines() if ln.strip()]
    assert commands == ["make demo", "make test"]


@pytest.mark.parametrize("line", COMMAND_LINES)
def test_readme_commands_exist(line: str) -> None:
    words = shlex.split(line.split("|")[-1].split(">")[0])
    assert words[0] == "eventwire"
    name = words[1]
    assert isinstance(main, click.Group)
    command = main.commands.get(name)
    assert command is not None, f"README shows an unknown command: {name}"
    known = {opt for param in command.params for opt in getattr(param, "opts", [])}
    for word in words[2:]:
        if word.startswith("--"):
            assert word in known, f"README shows an unknown option of {name}: {word}"
