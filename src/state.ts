import * as core from '@actions/core';

/** What the main step hands to the post step; the only user of saveState/getState. */
const KEYS = {
  isPost: 'isPost',
  runDirectory: 'runDirectory',
  containerName: 'containerName',
  cleanedUp: 'cleanedUp',
  cachesToSave: 'cachesToSave',
} as const;

export const isPost = (): boolean => core.getState(KEYS.isPost) === 'true';
export const markPost = (): void => core.saveState(KEYS.isPost, 'true');

export const runDirectory = (): string => core.getState(KEYS.runDirectory);
export const saveRunDirectory = (directory: string): void =>
  core.saveState(KEYS.runDirectory, directory);

/** The build containers' names (one per platform), one per line. */
export const containerNames = (): string[] =>
  core.getState(KEYS.containerName).split('\n').filter(Boolean);
export const saveContainerNames = (names: string[]): void =>
  core.saveState(KEYS.containerName, names.join('\n'));

/** The main step removed the container and the run's folder itself: nothing left to look for. */
export const cleanedUp = (): boolean => core.getState(KEYS.cleanedUp) === 'true';
export const markCleanedUp = (): void => core.saveState(KEYS.cleanedUp, 'true');

/** Folders that the main step made and the post step saves to the Actions cache under `key`. */
export interface CacheToSave {
  /** What the folders hold, for the post step's messages. */
  label: string;
  key: string;
  paths: string[];
}

export const cachesToSave = (): CacheToSave[] =>
  JSON.parse(core.getState(KEYS.cachesToSave) || '[]') as CacheToSave[];
/** The whole list each time: the post step sees only the last value saved under a key. */
export const saveCachesToSave = (caches: CacheToSave[]): void =>
  core.saveState(KEYS.cachesToSave, JSON.stringify(caches));
