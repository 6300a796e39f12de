#!/bin/sh
# Ansible's Python, from the release's packages, outside the image (see the action's container.sh)
ANSIBLE_IMAGE_LD_LIBRARY_PATH="${LD_LIBRARY_PATH+=$LD_LIBRARY_PATH}"
LD_LIBRARY_PATH="@LIBRARIES@"
export ANSIBLE_IMAGE_LD_LIBRARY_PATH LD_LIBRARY_PATH
exec "@TREE@/root/usr/bin/python3" -B "$@"
