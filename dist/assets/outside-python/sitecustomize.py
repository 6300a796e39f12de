# Ansible's Python outside the image (see the action's container.sh).
import os
import sys

# Its launcher put its libraries first on the loader's path, which this process has read by
# now: what it starts gets LD_LIBRARY_PATH back as it was.
_saved = os.environ.pop("ANSIBLE_IMAGE_LD_LIBRARY_PATH", None)
if _saved == "":
    os.environ.pop("LD_LIBRARY_PATH", None)
elif _saved is not None:
    os.environ["LD_LIBRARY_PATH"] = _saved[1:]
del _saved

# Libraries that the playbook installs into the image are for the release's Python, which is
# this version.
sys.path += [
    "/usr/local/lib/python%d.%d/dist-packages" % sys.version_info[:2],
    "/usr/lib/python3/dist-packages",
]


def ansible_image_executable():
    """What starts this Python again: the image's own once the playbook has installed it (a
    virtual environment made from it outlives the build), or else the launcher."""
    image = "/usr/bin/python%d.%d" % sys.version_info[:2]
    if not os.path.exists(image):
        image = os.path.join(os.path.dirname(os.path.dirname(sys.prefix)), "python3")
    sys.executable = sys._base_executable = image


ansible_image_executable()
