const OS: Record<string, string> = {
  linux: 'linux',
  darwin: 'darwin',
  win32: 'windows',
  freebsd: 'freebsd',
  openbsd: 'openbsd',
};
const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };

/** The runner's platform in HashiCorp's release names (linux/amd64, darwin/arm64, …). */
export function hashicorpPlatform(
  platform: string = process.platform,
  arch: string = process.arch,
): { os: string; arch: string } {
  const os = OS[platform];
  const cpu = ARCH[arch];
  if (!os || !cpu) throw new Error(`HashiCorp publishes no builds for ${platform}/${arch}`);
  return { os, arch: cpu };
}
