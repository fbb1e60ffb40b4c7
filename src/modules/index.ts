import type { LudaoModule } from '../platform/module';
import { admissionModule } from './admission';
import { datacentreModule } from './datacentre';
import { exchangeModule } from './exchange';
import { identityModule } from './identity';
import { maternityModule } from './maternity';
import { opendataModule } from './opendata';
import { sandboxModule } from './sandbox';

/** Every module of this build, in registration order (a module's deps come before it). */
export const MODULES: readonly LudaoModule[] = [identityModule, datacentreModule, exchangeModule, opendataModule, sandboxModule, admissionModule, maternityModule];
