"""Make the extraction scripts in seeds/extract/ importable by the extraction tests."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "seeds" / "extract"))
