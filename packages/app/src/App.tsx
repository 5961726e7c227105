import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

// Plugins listed in package.json are discovered automatically (app.packages: all in app-config).
export default createApp({
  features: [catalogPlugin, navModule, signInModule],
});
