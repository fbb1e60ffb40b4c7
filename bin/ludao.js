#!/usr/bin/env node
// The `ludao` command. TypeScript sources run through tsx's loader, so there is no
// separate compile step between a clone and a running platform (ADR 0002).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
