// One side of `pbxplan diff` or `compile --from`: a spec file, a plan.json, or a bundle directory
// (its plan.json). Read bounded like a spec; the kind follows from what the path is.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { SideInput } from '../../compiler.js';
import { ioError } from '../errors.js';
import { decodeSpec, readSpec } from './spec-file.js';

export async function readSide(path: string): Promise<SideInput> {
  let dir = false;
  if (path !== '-') {
    try {
      dir = statSync(path).isDirectory();
    } catch (e) {
      throw ioError(e, 'read', path);
    }
  }
  const file = dir ? join(path, 'plan.json') : path;
  const input = await readSpec(file);
  const kind = dir || /\.json$/i.test(file) ? 'plan' : 'spec';
  return { kind, label: input.file, text: decodeSpec(input) };
}
