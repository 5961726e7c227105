import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';
import { i18nModule } from './modules/i18n';
import { scaffolderI18nModule } from './modules/scaffolderI18n';
import { translatedEntityPage } from './i18n/entityTabs';

// Plugins listed in package.json are discovered automatically (app.packages: all in app-config).
export default createApp({
  features: [
    catalogPlugin.withOverrides({ extensions: [translatedEntityPage] }),
    navModule,
    signInModule,
    i18nModule,
    scaffolderI18nModule,
  ],
});
