"""The static docs site (`run.py docs generate`): HTML, JS and CSS in `assets/`, data embedded as JSON."""
