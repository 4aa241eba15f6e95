"""Vidensbase om tværsektorielle forløb for ældre medicinske patienter.

``kb.load()`` returns the knowledge base as tidy pandas DataFrames (``kb.frames``);
the validator and the site generator use ``kb.loader.load`` and the typed records.
"""

from .frames import Frames, finder, load

__all__ = ["Frames", "finder", "load"]
