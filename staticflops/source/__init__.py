"""Front end: files become parsed modules with lazily computed positions."""

from staticflops.source.files import Location, SourceFile, load_source
from staticflops.source.project import Project

__all__ = ["Location", "Project", "SourceFile", "load_source"]
