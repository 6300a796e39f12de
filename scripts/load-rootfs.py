#!/usr/bin/env python3
"""Loads a root file system into the engine as a one-layer image of a given architecture.

`docker import --platform` records the engine's own architecture on Docker 20.10 whatever the
content, while `docker load` keeps the config it is given. So this writes what `docker save`
writes (manifest.json, the image config, the layer) and streams it to `docker load`.

usage: load-rootfs.py ROOTFS IMAGE ARCHITECTURE
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from datetime import datetime, timezone

CHUNK = 1 << 20


def layer(rootfs, into):
    """Tars the root file system into the file `into`; the tar's sha256 is the layer's diff ID."""
    digest = hashlib.sha256()
    # GNU tar, as `docker import` gets it in scripts/setup.sh: it keeps devices, links and owners.
    with subprocess.Popen(["tar", "-C", rootfs, "-c", "."], stdout=subprocess.PIPE) as tar:
        while chunk := tar.stdout.read(CHUNK):
            digest.update(chunk)
            into.write(chunk)
    if tar.returncode != 0:
        sys.exit(f"tar of {rootfs} failed with status {tar.returncode}")
    into.flush()
    return digest.hexdigest()


def member(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


def main(rootfs, image, architecture):
    with tempfile.NamedTemporaryFile(dir=os.path.dirname(os.path.abspath(rootfs))) as tar:
        diff_id = layer(rootfs, tar)
        created = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        # What `docker import -c 'CMD ["bash"]'` records, with the architecture it cannot set.
        config = json.dumps(
            {
                "architecture": architecture,
                "os": "linux",
                "created": created,
                "config": {"Cmd": ["bash"]},
                "rootfs": {"type": "layers", "diff_ids": [f"sha256:{diff_id}"]},
                "history": [{"created": created, "comment": "Imported from -"}],
            },
            separators=(",", ":"),
        ).encode()
        config_name = f"{hashlib.sha256(config).hexdigest()}.json"
        layer_name = f"{diff_id}/layer.tar"
        manifest = json.dumps(
            [{"Config": config_name, "RepoTags": [image], "Layers": [layer_name]}]
        ).encode()
        with subprocess.Popen(["docker", "load", "-q"], stdin=subprocess.PIPE) as load:
            with tarfile.open(fileobj=load.stdin, mode="w|") as archive:
                archive.add(tar.name, arcname=layer_name)
                member(archive, config_name, config)
                member(archive, "manifest.json", manifest)
            load.stdin.close()
        if load.returncode != 0:
            sys.exit(f"docker load of {image} failed with status {load.returncode}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[-1])
    main(*sys.argv[1:])
