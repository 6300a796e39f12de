import * as core from '@actions/core';
import type { Readable } from 'node:stream';
import type { Engine } from '../docker/engine.js';
import { ArchiveError, type Expected, parseImageArchive } from '../docker/image-archive.js';
import {
  DATABASE_LIMIT,
  type LayerReport,
  type LayerScan,
  checkLayerSize,
  layerReport,
  scanLayer,
  wantsContent,
} from './layer-report.js';
import { RPM_QUERY_FORMAT, type PackageChanges, diffPackages, parseRpmList } from './packages.js';
import { tarEntries } from './tar-entries.js';

// rpm -qa of a few thousand packages prints some 200 kB, and takes a second under emulation.
const RPM_OUTPUT_LIMIT = 16 * 1024 * 1024;
const RPM_TIMEOUT_MS = 60_000;

/**
 * What the layers that `image` adds over `base` hold, read in one pass of `docker save`
 * through memory: every layer's headers, and the package databases' text. Base layers give the
 * databases as they were; nothing of them is kept but that.
 */
export async function reportLayer(
  engine: Engine,
  image: string,
  base: string,
): Promise<LayerReport> {
  const [built, below] = await Promise.all([engine.inspectImage(image), engine.inspectImage(base)]);
  const baseLayers = below.RootFS?.Layers ?? [];
  if (!baseLayers.every((diffId, index) => built.RootFS?.Layers?.[index] === diffId))
    throw new Error(`${image} is not built on ${base}: its layers do not start with the base's`);
  const expected = { id: built.Id, diffIds: built.RootFS?.Layers ?? [] };
  const archive = (await engine.saveImages([built.Id])) as Readable;
  let layers: LayerScan[];
  try {
    layers = await scanLayers(archive, expected, baseLayers.length);
  } catch (error) {
    throw new Error(`Cannot read image ${image} from the engine: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const report = layerReport(layers, baseLayers.length);
  if (layers.slice(baseLayers.length).some((layer) => layer.rpm)) {
    const baseHasRpm = layers.slice(0, baseLayers.length).some((layer) => layer.rpm);
    try {
      report.packages.push(await rpmChanges(engine, baseHasRpm ? below.Id : undefined, built.Id));
    } catch (error) {
      report.packageNotes.push(`rpm: its packages are not listed. ${(error as Error).message}`);
    }
  }
  return report;
}

/**
 * Each layer of an image's `docker save` archive, scanned as it streams by; of the first
 * `baseLayers`, only what their package databases need is kept.
 */
export async function scanLayers(
  source: Readable,
  expected: Expected,
  baseLayers: number,
): Promise<LayerScan[]> {
  const scans = new Map<string, LayerScan>();
  await parseImageArchive(source, expected, {
    onLayer: async (layer) => {
      const added = layer.indices.some((index) => index >= baseLayers);
      const entries = tarEntries(layer.stream, wantsContent, DATABASE_LIMIT);
      try {
        scans.set(layer.diffId, await scanLayer(entries, { files: added }));
      } catch (error) {
        // The archive's own faults name the layer already.
        if (error instanceof ArchiveError) throw error;
        throw new Error(`Layer ${layer.indices[0] + 1}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    },
  });
  return expected.diffIds.map((diffId) => scans.get(diffId) as LayerScan);
}

/**
 * rpm's database is binary (SQLite, Berkeley DB or ndb by distribution): rpm in the image
 * lists it, in throwaway containers without network of the base and of the result.
 */
async function rpmChanges(
  engine: Engine,
  base: string | undefined,
  image: string,
): Promise<PackageChanges> {
  const list = async (reference: string) =>
    parseRpmList(
      await engine.runIsolated(
        reference,
        ['rpm', '-qa', '--queryformat', RPM_QUERY_FORMAT],
        RPM_OUTPUT_LIMIT,
        RPM_TIMEOUT_MS,
      ),
    );
  const [before, after] = await Promise.all([base ? list(base) : [], list(image)]);
  return diffPackages('rpm', before, after);
}

/**
 * The layer report once read, checked against max-layer-size. Without a budget the report is
 * only information, so failing to read it is a warning and the build stands.
 */
export async function withinBudget(
  read: Promise<LayerReport>,
  limit: number | undefined,
): Promise<LayerReport | undefined> {
  let report: LayerReport;
  try {
    report = await read;
  } catch (error) {
    if (limit !== undefined) throw error;
    core.warning(`No report of what the layer holds: ${(error as Error).message}`);
    return undefined;
  }
  if (limit !== undefined) checkLayerSize(report, limit);
  return report;
}
