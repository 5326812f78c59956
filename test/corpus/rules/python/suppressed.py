"""Leak patterns the author has looked at and silenced."""
import functools

_render_cache = {}
frame_history = []
glyph_log = []


class Renderer:
    @functools.lru_cache(maxsize=None)  # leakscope: ignore[method-lru-cache]
    def glyph(self, char: str):
        return ord(char)

    def render(self, key: str, frame) -> None:
        # leakscope: ignore[unbounded-cache] -- keys are a fixed set of eight templates
        _render_cache[key] = frame
        frame_history.append(frame)  # leakscope: ignore

    def render_again(self, key: str, frame) -> None:
        glyph_log.append(key)  # leakscope: ignore[unbounded-cache]  # expect: unbounded-collection
