import * as core from '@actions/core';

/** What the main step hands to the post step; the only user of saveState/getState. */
const KEYS = {
  isPost: 'isPost',
  runDirectory: 'runDirectory',
  containerName: 'containerName',
  cleanedUp: 'cleanedUp',
} as const;

export const isPost = (): boolean => core.getState(KEYS.isPost) === 'true';
export const markPost = (): void => core.saveState(KEYS.isPost, 'true');

export const runDirectory = (): string => core.getState(KEYS.runDirectory);
export const saveRunDirectory = (directory: string): void =>
  core.saveState(KEYS.runDirectory, directory);

export const containerName = (): string => core.getState(KEYS.containerName);
export const saveContainerName = (name: string): void => core.saveState(KEYS.containerName, name);

/** The main step removed the container and the run's folder itself: nothing left to look for. */
export const cleanedUp = (): boolean => core.getState(KEYS.cleanedUp) === 'true';
export const markCleanedUp = (): void => core.saveState(KEYS.cleanedUp, 'true');
