"""One line describing the machine a benchmark ran on, for its printed figures."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def describe_machine() -> str:
    """CPUs and their model, memory, Python version and the current load average."""
    cpu = platform.processor() or "unknown CPU"
    memory = "unknown RAM"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB RAM"
                break
    except (OSError, ValueError):
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory}, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
