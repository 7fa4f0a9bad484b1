"""Is there a Java that can run a local Spark driver? Standard library only: `run.py` asks this before
`.venv` exists (to refuse `setup spark` in one line), and the Spark session asks it before starting."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

MIN_JAVA = 17
JAVA_HINT = "install a JDK 17 or newer (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or set JAVA_HOME"


def java_problem() -> str | None:
    """Why Spark cannot start on this machine (no Java, or one older than 17), or None."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home and (Path(home) / "bin" / "java").exists() else shutil.which("java")
    if not java:
        return f"Spark targets need Java {MIN_JAVA}+ and no java was found: {JAVA_HINT}"
    try:
        shown = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.SubprocessError) as exc:
        return f"Spark targets need Java {MIN_JAVA}+ and {java} does not run ({exc}): {JAVA_HINT}"
    found = re.search(r'version "(\d+)(?:\.(\d+))?', shown)
    major = int(found.group(1)) if found else 0
    major = int(found.group(2) or 0) if major == 1 else major     # "1.8.0" is Java 8
    if major < MIN_JAVA:
        return f"Spark targets need Java {MIN_JAVA}+ but {java} is Java {major or 'of unknown version'}: {JAVA_HINT}"
    return None
