# Writes one JSON line per task result and one for the recap to the file named by
# ANSIBLE_IMAGE_ACTION_EVENTS, so that the action reads facts instead of parsing Ansible's
# human output. It needs no enabling and leaves the stdout callback as it is.
from __future__ import annotations

DOCUMENTATION = """
name: ansible_image_events
type: aggregate
short_description: JSON events for the ansible-image GitHub Action
description: One JSON object per line for each task result and for the final stats.
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


# Bounds on what one task result adds to the report (characters, and notes of each kind).
MESSAGE_LIMIT = 8192
MAX_NOTES = 20


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "ansible_image_events"
    CALLBACK_NEEDS_ENABLED = False

    def __init__(self):
        super().__init__()
        path = os.environ.get("ANSIBLE_IMAGE_ACTION_EVENTS")
        self._out = open(path, "a", encoding="utf-8") if path else None
        self._started = {}

    def _write(self, event):
        if self._out:
            self._out.write(json.dumps(event, default=str) + "\n")
            self._out.flush()

    def v2_runner_on_start(self, host, task):
        self._started[(host.get_name(), task._uuid)] = time.monotonic()

    def _task_result(self, status, result):
        # What a task prints comes from the build container: the report keeps a bounded part.
        def clip(text, limit=MESSAGE_LIMIT):
            text = str(text)
            return (
                text
                if len(text) <= limit
                else text[:limit] + " … (%d characters cut)" % (len(text) - limit)
            )

        task = result._task
        host = result._host.get_name()
        started = self._started.pop((host, task._uuid), None)
        path, _, line = (task.get_path() or "").rpartition(":")
        data = result._result
        message = ""
        if status in ("failed", "unreachable", "ignored"):
            parts = [data.get("msg"), data.get("stderr"), data.get("module_stderr")]
            message = ": ".join(str(p).strip() for p in parts if p and str(p).strip())
        self._write(
            {
                "type": "task",
                "name": clip(task.get_name(), 1000),
                "action": task.action,
                "file": path,
                "line": int(line) if line.isdigit() else None,
                "host": host,
                "status": status,
                "duration": round(time.monotonic() - started, 3) if started else None,
                "message": clip(message),
                "warnings": [clip(w) for w in (data.get("warnings") or [])[:MAX_NOTES]],
                "deprecations": [
                    clip(d.get("msg", d)) if isinstance(d, dict) else clip(d)
                    for d in (data.get("deprecations") or [])[:MAX_NOTES]
                ],
            }
        )

    def v2_runner_on_ok(self, result):
        self._task_result("changed" if result._result.get("changed") else "ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._task_result("ignored" if ignore_errors else "failed", result)

    def v2_runner_on_skipped(self, result):
        self._task_result("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._task_result("unreachable", result)

    def v2_playbook_on_stats(self, stats):
        def total(counts):
            return sum(counts.values())

        self._write(
            {
                "type": "stats",
                "ok": total(stats.ok),
                "changed": total(stats.changed),
                "failed": total(stats.failures),
                "skipped": total(stats.skipped),
                "unreachable": total(stats.dark),
                "rescued": total(stats.rescued),
                "ignored": total(stats.ignored),
            }
        )
