// Stand-in artifacts for the air-gapped fixtures (never vendor files): small deterministic files
// with the names and layout `compile --artifacts` expects, for fixtures/airgap/spec.yaml.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './golden.js';

const FIXTURE_SCRIPTS = join(FIXTURES, 'airgap', 'artifacts', 'scripts');

/** Deterministic bytes that compress like a binary would, not like zeros. */
export function standInBytes(label: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = Buffer.from(label);
  for (let i = 0; i < size; i += 32) {
    block = createHash('sha256').update(block).digest();
    block.copy(out, i, 0, Math.min(32, size - i));
  }
  return out;
}

/** A complete stand-in artifacts directory for fixtures/airgap/spec.yaml (less `omit`). */
export function makeArtifacts(dir: string, omit: string[] = []): string {
  const files: Record<string, Buffer> = {};
  // The fixture's own stand-in scripts: fixtures/airgap/spec.yaml pins their sha256 (release.scripts).
  for (const s of ['install_docker.sh', 'pbx_ctl.sh', 'cluster_ctl.sh', 'im_ctl.sh', 'dataflow_ctl.sh', 'sbc_ctl.sh']) {
    files[`scripts/${s}`] = readFileSync(join(FIXTURE_SCRIPTS, s));
  }
  for (const i of ['portsip_pbx_22.3', 'portsip_postgresql_14.12', 'portsip_clickhouse_25.8', 'portsip_sbc_11']) {
    files[`images/${i}.tar`] = Buffer.concat([standInBytes(i, 96 * 1024), Buffer.alloc(32 * 1024)]);
  }
  for (const d of ['docker-ce_5%3a27.3.1-1~ubuntu.24.04~noble_amd64.deb', 'docker-ce-cli_5%3a27.3.1-1~ubuntu.24.04~noble_amd64.deb', 'containerd.io_1.7.22-1_amd64.deb', 'docker-compose-plugin_2.29.7-1~ubuntu.24.04~noble_amd64.deb', 'firewalld_2.1.1-1_all.deb', 'python3-firewall_2.1.1-1_all.deb', 'nftables_1.0.9-1build1_amd64.deb']) {
    files[`debs/${d}`] = standInBytes(d, 4096);
  }
  files['README.txt'] = Buffer.from('not needed by any host; ignored\n');
  for (const [path, body] of Object.entries(files)) {
    if (omit.includes(path)) continue;
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  return dir;
}
