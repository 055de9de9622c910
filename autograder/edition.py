"""Which edition of the kit this package is: the instructors' kit, or a student release built from it.

The release builder (frontends/instructor/release.py) writes this file anew into the release it builds.
Nothing else decides it: not a file's presence, not the environment.
"""

KIT, RELEASE = "kit", "release"
EDITION = KIT
