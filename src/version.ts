/** This action's own version, part of every input key: a new release builds anew. */
export const ACTION_VERSION = '0.1.0';
