"""Vidensbase om tværsektorielle forløb for ældre medicinske patienter."""

from .load import KnowledgeBase, load

__all__ = ["KnowledgeBase", "load"]
