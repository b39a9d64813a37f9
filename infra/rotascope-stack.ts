/**
 * RotascopeStack: the AWS deployment of Rotascope, one per stage (DESIGN.md §2).
 * For now it holds the storage; ingest, metrics and publishing come in later issues.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Storage } from './storage.js';

/** Deployment stages; the stage names the stack, so one account can hold several. */
export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];
export const DEFAULT_STAGE: Stage = 'dev';

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

export interface RotascopeStackProps extends StackProps {
  /** @default 'dev' */
  readonly stage?: Stage;
}

export class RotascopeStack extends Stack {
  readonly stage: Stage;
  readonly storage: Storage;

  constructor(scope: Construct, id: string, props: RotascopeStackProps = {}) {
    const stage = props.stage ?? DEFAULT_STAGE;
    super(scope, id, {
      description: `Rotascope (${stage}): workforce analytics for primary care networks`,
      ...props,
    });
    this.stage = stage;
    this.storage = new Storage(this, 'Storage');
  }
}
