# community.docker's `docker` connection runs `docker version` twice (an old and a new output
# format) before every task that has a remote user, because Ansible builds a new connection
# for each task and the version decides whether `docker exec -u` is supported. The action
# connects as root, so every task paid for two round trips to the engine. The action knows the
# engine's version already and passes it in ANSIBLE_IMAGE_DOCKER_VERSION; this plugin answers
# the check with it. It is loaded as a callback because callbacks are loaded in the
# controller before any worker is forked, so every task's connection sees the answer.
from __future__ import annotations

DOCUMENTATION = """
name: ansible_image_docker_version
type: aggregate
short_description: Answers the docker connection's engine version check for the ansible-image GitHub Action
description: Lets community.docker's docker connection use the engine version the action knows.
"""

import os

from ansible.plugins.callback import CallbackBase


def _answer_version_check(version):
    try:
        from ansible_collections.community.docker.plugins.connection.docker import Connection
    except ImportError:
        return
    # Only the shape this was written for: a read-only property that runs `docker version`.
    if isinstance(Connection.__dict__.get("docker_version"), property):
        Connection.docker_version = property(lambda self: version)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "ansible_image_docker_version"
    CALLBACK_NEEDS_ENABLED = False

    def __init__(self):
        super().__init__()
        version = os.environ.get("ANSIBLE_IMAGE_DOCKER_VERSION")
        if version:
            _answer_version_check(version)
