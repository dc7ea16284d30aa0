"""Static files storage for production: hashed names (cache for a year) without following source maps.

The vendored minified files (Bootstrap, htmx) end with a sourceMappingURL comment to a .map file that is not
shipped; Django's ManifestStaticFilesStorage would make `collectstatic` fail on it. Browsers only ask for a map
when the developer tools are open, so leaving those comments alone costs nothing.
"""

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
