# A list taken out of a long-lived mapping and extended in place with `+=`: the mapping's list
# grows by the same items on every call.
from .config import TAG_ATTRIBUTES

DEFAULTS = {"div": ["class_"]}


def attributes_for(tag):
    attrs = TAG_ATTRIBUTES.get(tag, [])
    attrs += ["id", "style"]  # expect: unbounded-collection
    return attrs


def copied_attributes_for(tag):
    # A copy: the mapping's list stays as it is (quiet).
    attrs = list(DEFAULTS.get(tag, []))
    attrs += ["id", "style"]
    return attrs


def local_table(tag):
    # A local table under the import's name, made per call (quiet).
    TAG_ATTRIBUTES = {"div": []}
    attrs = TAG_ATTRIBUTES.get(tag, [])
    attrs += ["id"]
    return attrs


class Renderer:
    defaults = {"p": []}

    def attributes(self, tag):
        attrs = self.defaults.get(tag, [])
        attrs += ["lang"]  # expect: unbounded-collection
        return attrs
