import Docker from 'dockerode';
import { Writable } from 'node:stream';
import { parseImageReference } from '../reference.js';
import type { RegistryAuth } from './auth.js';

export type ImageInfo = Docker.ImageInspectInfo;

interface ProgressEvent {
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { Tag?: string; Digest?: string; Size?: number };
}

// Under the 10 s within which an unreachable engine must fail the step.
const ANSWER_TIMEOUT_MS = 8_000;
/**
 * No call may wait on the engine forever: one that gets no byte from it for this long fails.
 * Pulls and pushes stream progress, so only a stalled one is cut. DOCKER_CLIENT_TIMEOUT (ms),
 * as docker-modem reads it, sets another.
 */
const IDLE_TIMEOUT_MS = Number(process.env.DOCKER_CLIENT_TIMEOUT) || 300_000;

const DOCKER_HOST_SCHEMES = ['unix:', 'tcp:', 'http:', 'https:', 'ssh:', 'npipe:'];

/** The only user of dockerode: the Docker engine as this action needs it. */
export class Engine {
  private readonly docker = new Docker({ timeout: IDLE_TIMEOUT_MS });

  /**
   * The engine's version, which also proves it answers: fails fast, with what to do, when
   * there is no engine to talk to.
   */
  async version(): Promise<string> {
    const where = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
    if (!DOCKER_HOST_SCHEMES.some((scheme) => where.startsWith(`${scheme}//`)))
      throw new Error(
        `DOCKER_HOST "${where}" is not a Docker engine address: use unix:///path, tcp://host:port or ssh://user@host`,
      );
    try {
      // @types/dockerode lags: version() takes { abortSignal } like the other calls do.
      const version = this.docker.version.bind(this.docker) as unknown as (options: {
        abortSignal: AbortSignal;
      }) => Promise<Docker.DockerVersion>;
      return (await version({ abortSignal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) })).Version;
    } catch (error) {
      const reason =
        (error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError'
          ? `no answer within ${ANSWER_TIMEOUT_MS / 1000} s. Check that DOCKER_HOST points at a Docker engine.`
          : unreachable(error);
      throw new Error(`Cannot reach the Docker engine at ${where}: ${reason}`, { cause: error });
    }
  }

  async findImage(reference: string): Promise<ImageInfo | undefined> {
    try {
      return await this.docker.getImage(reference).inspect();
    } catch (error) {
      if (statusCode(error) === 404) return undefined;
      throw new Error(`Cannot inspect image ${reference}: ${describe(error)}`, { cause: error });
    }
  }

  /** The local images that carry this label with this value, newest first. */
  async imagesLabelled(label: string, value: string): Promise<ImageInfo[]> {
    let listed: Docker.ImageInfo[];
    try {
      listed = await this.docker.listImages({
        filters: JSON.stringify({ label: [`${label}=${value}`] }),
      });
    } catch (error) {
      throw new Error(`Cannot list the images labelled ${label}: ${describe(error)}`, {
        cause: error,
      });
    }
    const images = await Promise.all(listed.map((image) => this.findImage(image.Id)));
    return images
      .filter((image): image is ImageInfo => image !== undefined)
      .sort((a, b) => Date.parse(b.Created) - Date.parse(a.Created));
  }

  async inspectImage(reference: string): Promise<ImageInfo> {
    const image = await this.findImage(reference);
    if (!image) throw new Error(`Image ${reference} does not exist`);
    return image;
  }

  /** Pulls an image, with the registry's credentials when there are any. */
  async pull(reference: string, auth?: RegistryAuth): Promise<void> {
    const { tag, digest } = parseImageReference(reference);
    const explicit = tag || digest ? reference : `${reference}:latest`;
    try {
      await this.follow(await this.docker.pull(explicit, auth ? { authconfig: auth } : {}));
    } catch (error) {
      throw new Error(`Cannot pull ${explicit}: ${describe(error)}`, { cause: error });
    }
  }

  /**
   * Pushes one tag (never the whole repository, so that other local tags stay local) and
   * returns the manifest digest that the registry answered with.
   */
  async push(reference: string, auth?: RegistryAuth): Promise<string> {
    const { name, tag } = parseImageReference(reference);
    try {
      const stream = await this.docker
        .getImage(name)
        .push({ tag: tag ?? 'latest', ...(auth && { authconfig: auth }) });
      const events = await this.follow(stream);
      const digest = events.map((event) => event.aux?.Digest).find(Boolean);
      if (!digest) throw new Error('the push finished without a digest from the registry');
      return digest;
    } catch (error) {
      throw new Error(`Cannot push ${reference}: ${describe(error)}`, { cause: error });
    }
  }

  /**
   * Reads a pull or push progress stream to its end. The engine reports most failures inside
   * an HTTP 200 stream, which dockerode's followProgress does not treat as errors.
   */
  private follow(stream: NodeJS.ReadableStream): Promise<ProgressEvent[]> {
    return new Promise((resolve, reject) => {
      let failure: Error | undefined;
      this.docker.modem.followProgress(
        stream,
        (error: Error | null, events: ProgressEvent[]) =>
          error || failure ? reject(error ?? failure) : resolve(events),
        (event: ProgressEvent) => {
          if (event.error && !failure)
            failure = new Error(event.errorDetail?.message || event.error);
        },
      );
    });
  }

  /** What the outputs say of a built image. */
  async builtImage(
    id: string,
  ): Promise<{ id: string; size: number; layerSize: number; layers: number }> {
    const image = await this.inspectImage(id);
    return {
      id: image.Id,
      size: image.Size,
      layerSize: await this.topLayerSize(id),
      layers: image.RootFS?.Layers?.length ?? 0,
    };
  }

  /**
   * Bytes the topmost layer adds, as `docker history` reports them. A run config applied after
   * the build adds history entries with no layer (size 0) above it; a build's commit always
   * changes some files, so the first entry with a size is its layer.
   */
  async topLayerSize(id: string): Promise<number> {
    const history = await this.docker.getImage(id).history();
    return history.find((entry: { Size: number }) => entry.Size > 0)?.Size ?? 0;
  }

  async tag(id: string, reference: string): Promise<void> {
    const { name, tag } = parseImageReference(reference);
    try {
      await this.docker.getImage(id).tag({ repo: name, tag: tag ?? 'latest' });
    } catch (error) {
      throw new Error(`Cannot tag ${id} as ${reference}: ${describe(error)}`, { cause: error });
    }
  }

  /**
   * Applies run config changes to a built image without a new layer: `docker commit` of an
   * unchanged container records an empty layer in the history only.
   */
  async recommit(imageId: string, changes: string[], comment: string): Promise<string> {
    let container: Docker.Container | undefined;
    try {
      container = await this.docker.createContainer({ Image: imageId });
      const { Id } = (await container.commit({ changes, comment })) as { Id: string };
      return Id;
    } catch (error) {
      throw new Error(`Cannot apply ${changes.join('; ')} to ${imageId}: ${describe(error)}`, {
        cause: error,
      });
    } finally {
      await container?.remove({ force: true }).catch(() => undefined);
    }
  }

  /** Removes one tag of an image, never the image that other names still hold. */
  async untag(reference: string): Promise<void> {
    try {
      await this.docker.getImage(reference).remove({ noprune: true });
    } catch (error) {
      throw new Error(`Cannot remove the tag ${reference}: ${describe(error)}`, { cause: error });
    }
  }

  /** Removes a container if it exists; true when there was one. */
  async removeContainer(name: string): Promise<boolean> {
    try {
      await this.docker.getContainer(name).remove({ force: true, v: true });
      return true;
    } catch (error) {
      const status = statusCode(error);
      // 404: gone already; 409: the engine is removing it right now.
      if (status === 404 || status === 409) return false;
      throw new Error(`Cannot remove container ${name}: ${describe(error)}`, { cause: error });
    }
  }

  /**
   * The images as `docker save` writes them, streamed as the engine sends it: a name that is a
   * tag becomes a RepoTag of the archive, an image ID gives none.
   */
  async saveImages(names: string[]): Promise<NodeJS.ReadableStream> {
    // @types/dockerode lacks getImages (GET /images/get?names=…), the call that saves several.
    const docker = this.docker as unknown as {
      getImages(options: { names: string[] }): Promise<NodeJS.ReadableStream>;
    };
    try {
      return await docker.getImages({ names });
    } catch (error) {
      throw new Error(`Cannot save ${names.join(', ')} from the engine: ${describe(error)}`, {
        cause: error,
      });
    }
  }

  /**
   * What a command prints in a throwaway container of an image whose code is not trusted: no
   * network, no capabilities, no new privileges, a bound on processes and memory; at most
   * `limit` bytes of output and `timeoutMs` to finish. The container is removed afterwards.
   */
  async runIsolated(
    image: string,
    command: string[],
    limit: number,
    timeoutMs: number,
  ): Promise<string> {
    let container: Docker.Container | undefined;
    try {
      container = await this.docker.createContainer({
        Image: image,
        Entrypoint: command.slice(0, 1),
        Cmd: command.slice(1),
        User: '0:0',
        WorkingDir: '/',
        NetworkDisabled: true,
        HostConfig: {
          NetworkMode: 'none',
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges'],
          PidsLimit: 64,
          Memory: 512 * 1024 * 1024,
        },
      });
      const stream = await container.attach({ stream: true, stdout: true, stderr: true });
      const stdout = new Capped(limit);
      const stderr = new Capped(2000);
      const ended = new Promise((resolve) => stream.on('end', resolve));
      this.docker.modem.demuxStream(stream, stdout, stderr);
      await container.start();
      const { StatusCode } = (await container.wait({
        abortSignal: AbortSignal.timeout(timeoutMs),
      })) as { StatusCode: number };
      await ended;
      if (stdout.over) throw new Error(`it printed more than ${limit} bytes`);
      if (StatusCode !== 0) throw new Error(`exit status ${StatusCode}: ${stderr.text().trim()}`);
      return stdout.text();
    } catch (error) {
      const reason =
        (error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError'
          ? `it did not finish within ${timeoutMs / 1000} s`
          : describe(error);
      throw new Error(`Cannot run ${command[0]} in a container of ${image}: ${reason}`, {
        cause: error,
      });
    } finally {
      await container?.remove({ force: true }).catch(() => undefined);
    }
  }

  /**
   * Commits a container by name as an image under a local reference, with `docker commit
   * --change` lines; the container is paused meanwhile, so that what runs in it cannot change
   * the files half-way.
   */
  async commitContainer(
    name: string,
    reference: string,
    changes: string[],
    comment: string,
  ): Promise<string> {
    const { name: repo, tag } = parseImageReference(reference);
    try {
      const committed = (await this.docker
        .getContainer(name)
        .commit({ repo, tag: tag ?? 'latest', changes, comment, pause: true })) as { Id: string };
      return committed.Id;
    } catch (error) {
      throw new Error(`Cannot commit container ${name} as ${reference}: ${describe(error)}`, {
        cause: error,
      });
    }
  }
}

/** Keeps the first `limit` bytes written to it, and whether there were more. */
class Capped extends Writable {
  private readonly chunks: Buffer[] = [];
  private length = 0;
  over = false;

  constructor(private readonly limit: number) {
    super();
  }

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    const room = this.limit - this.length;
    if (chunk.length > room) this.over = true;
    if (room > 0) this.chunks.push(chunk.subarray(0, room));
    this.length += Math.min(room, chunk.length);
    done();
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Which of the usual reasons keeps us from the engine, and what to do about it. */
function unreachable(error: unknown): string {
  switch ((error as { code?: string }).code) {
    case 'ENOENT':
      return 'there is no socket there. Start the Docker engine, or set DOCKER_HOST to where it listens.';
    case 'EACCES':
      return 'permission denied on the socket. Run as a user in the docker group, or as root.';
    case 'ECONNREFUSED':
      return 'the connection was refused. Start the engine, or check the port in DOCKER_HOST.';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return "DOCKER_HOST's host name does not resolve. Check DOCKER_HOST.";
    default:
      return `${describe(error)}. Check that the Docker engine is running and DOCKER_HOST points at it.`;
  }
}

function statusCode(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

/** The engine's own message when it sent one, else the error's. */
function describe(error: unknown): string {
  const json = (error as { json?: { message?: string } }).json;
  if (json?.message) return json.message;
  const code = (error as { code?: string }).code;
  // docker-modem ends a request that timed out by destroying it, which reads as a hang-up.
  if (code === 'ECONNRESET')
    return `the engine sent nothing for ${IDLE_TIMEOUT_MS / 1000} s, or closed the connection`;
  const text = error instanceof Error ? error.message : String(error);
  return code && !text.includes(code) ? `${code}: ${text}` : text;
}
