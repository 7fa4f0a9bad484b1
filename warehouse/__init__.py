"""reform-warehouse engine: load -> compile -> run -> test -> check -> publish -> export."""
__version__ = "0.1.0"
