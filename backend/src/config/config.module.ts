import { Global, Module, type DynamicModule } from '@nestjs/common';
import { SecretBox } from '../common/secret-box.js';
import { AppConfig } from './app-config.js';

/** Provides the validated configuration, and the secret box made from its keys, to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: SecretBox, useValue: new SecretBox(config.secretKeys) },
      ],
      exports: [AppConfig, SecretBox],
    };
  }
}
