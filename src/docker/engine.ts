import Docker from 'dockerode';
import { parseImageReference } from '../reference.js';

export type ImageInfo = Docker.ImageInspectInfo;

const PING_TIMEOUT_MS = 10_000;

/** The only user of dockerode: the Docker engine as this action needs it. */
export class Engine {
  private readonly docker = new Docker();

  /** Fails fast, with what to do, when there is no engine to talk to. */
  async ping(): Promise<void> {
    const where = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${PING_TIMEOUT_MS / 1000} s`)),
        PING_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([this.docker.ping(), timeout]);
    } catch (error) {
      throw new Error(
        `Cannot reach the Docker engine at ${where} (${describe(error)}). Start Docker, or set DOCKER_HOST to a running engine.`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
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

  async inspectImage(reference: string): Promise<ImageInfo> {
    const image = await this.findImage(reference);
    if (!image) throw new Error(`Image ${reference} does not exist`);
    return image;
  }

  /**
   * Pulls an image. The engine reports most pull failures inside an HTTP 200 progress stream,
   * so every event is checked for an error, not just the response status.
   */
  async pull(reference: string): Promise<void> {
    const { tag, digest } = parseImageReference(reference);
    const explicit = tag || digest ? reference : `${reference}:latest`;
    try {
      const stream = await this.docker.pull(explicit);
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(
          stream,
          (error: Error | null) => (error ? reject(error) : resolve()),
          (event: { error?: string; errorDetail?: { message?: string } }) => {
            if (event.error) reject(new Error(event.errorDetail?.message || event.error));
          },
        );
      });
    } catch (error) {
      throw new Error(`Cannot pull ${explicit}: ${describe(error)}`, { cause: error });
    }
  }

  /** Bytes the topmost layer adds, as `docker history` reports them. */
  async topLayerSize(id: string): Promise<number> {
    const history = await this.docker.getImage(id).history();
    return history[0]?.Size ?? 0;
  }

  async tag(id: string, reference: string): Promise<void> {
    const { name, tag } = parseImageReference(reference);
    try {
      await this.docker.getImage(id).tag({ repo: name, tag: tag ?? 'latest' });
    } catch (error) {
      throw new Error(`Cannot tag ${id} as ${reference}: ${describe(error)}`, { cause: error });
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
}

function statusCode(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

/** The engine's own message when it sent one, else the error's. */
function describe(error: unknown): string {
  const json = (error as { json?: { message?: string } }).json;
  if (json?.message) return json.message;
  const code = (error as { code?: string }).code;
  const text = error instanceof Error ? error.message : String(error);
  return code && !text.includes(code) ? `${code}: ${text}` : text;
}
