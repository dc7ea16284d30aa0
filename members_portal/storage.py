"""Static files storage for production: hashed names (cache for a year) without following source maps.

The vendored minified files (Bootstrap, htmx) end with a sourceMappingURL comment to a .map file that is not
shipped; Django's ManifestStaticFilesStorage would make `collectstatic` fail on it. Browsers only ask for a map
when the developer tools are open, so leaving those comments alone costs nothing.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage


def _without_source_maps(patterns):
    kept = []
    for extension, rules in patterns:
        rules = tuple(rule for rule in rules if "sourceMappingURL" not in (rule if isinstance(rule, str) else rule[0]))
        if rules:
            kept.append((extension, rules))
    return tuple(kept)


class PortalStaticFilesStorage(ManifestStaticFilesStorage):
    patterns = _without_source_maps(ManifestStaticFilesStorage.patterns)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._addresses: dict[tuple[str, bool, bool], str] = {}

    def url(self, name, force=False):
        """A file's address, worked out once per process: the manifest is read once when the process starts, and the
        six {% static %} tags of every page cost a staff page half a millisecond through it."""
        key = (name, force, settings.DEBUG)
        address = self._addresses.get(key)
        if address is None:
            address = self._addresses[key] = super().url(name, force)
        return address
