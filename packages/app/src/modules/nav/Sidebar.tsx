import {
  Sidebar,
  SidebarDivider,
  SidebarGroup,
  SidebarItem,
  SidebarScrollWrapper,
  SidebarSpace,
} from '@backstage/core-components';
import { NavContentBlueprint } from '@backstage/plugin-app-react';
import { SidebarLogo } from './SidebarLogo';
import MenuIcon from '@material-ui/icons/Menu';
import SearchIcon from '@material-ui/icons/Search';
import { SidebarSearchModal } from '@backstage/plugin-search';
import { UserSettingsSignInAvatar } from '@backstage/plugin-user-settings';
import { PermissionGate } from '@kubemate/plugin-kubemate-react';
import { rbacRoleReadPermission } from '@kubemate/plugin-rbac-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  NavContentComponentProps,
  NavContentNavItem,
} from '@backstage/plugin-app-react';
import { appTranslationRef } from '../../i18n/appTranslation';

type PageKey = keyof typeof PAGE_KEYS;
const PAGE_KEYS = {
  catalog: 1,
  scaffolder: 1,
  'api-docs': 1,
  search: 1,
  'user-settings': 1,
  'catalog-graph': 1,
  notifications: 1,
  clusters: 1,
  metrics: 1,
  logs: 1,
  traces: 1,
  pipelines: 1,
  canary: 1,
  inspections: 1,
  rag: 1,
  gpu: 1,
  finetuning: 1,
  localstack: 1,
  rbac: 1,
};

/** A page's plugin id (page:<plugin>[/<name>]): its key among the translated page titles. */
function pageKey(item: NavContentNavItem): PageKey | undefined {
  const id = item.node.spec.id.replace(/^page:/, '').split('/')[0];
  return id in PAGE_KEYS ? (id as PageKey) : undefined;
}

/** A sidebar link with the page's title in the app's language (the page's own title otherwise). */
function NavLink(props: { item: NavContentNavItem }) {
  const { t } = useTranslationRef(appTranslationRef);
  const { item } = props;
  const key = pageKey(item);
  return (
    <SidebarItem
      icon={() => item.icon}
      to={item.href}
      text={key ? t(`pages.${key}`) : item.title}
    />
  );
}

/** The portal's sidebar: search, the pages, administration for role readers, settings. */
function KubemateSidebar({ navItems }: NavContentComponentProps) {
  const { t } = useTranslationRef(appTranslationRef);
  const nav = navItems.withComponent(item => <NavLink item={item} />);

  nav.take('page:search'); // the search modal replaces the page link
  // Administration: only for those who may read roles (the page says so to anyone else).
  const rbac = nav.take('page:rbac');

  return (
    <Sidebar>
      <SidebarLogo />
      <SidebarGroup
        label={t('sidebar.search')}
        icon={<SearchIcon />}
        to="/search"
      >
        <SidebarSearchModal />
      </SidebarGroup>
      <SidebarDivider />
      <SidebarGroup label={t('sidebar.menu')} icon={<MenuIcon />}>
        {nav.take('page:catalog')}
        {nav.take('page:scaffolder')}
        <SidebarDivider />
        <SidebarScrollWrapper>
          {nav.rest({ sortBy: 'title' })}
        </SidebarScrollWrapper>
      </SidebarGroup>
      {rbac && (
        <PermissionGate permission={rbacRoleReadPermission}>
          <SidebarDivider />
          {rbac}
        </PermissionGate>
      )}
      <SidebarSpace />
      <SidebarDivider />
      <SidebarGroup
        label={t('sidebar.settings')}
        icon={<UserSettingsSignInAvatar />}
        to="/settings"
      >
        {nav.take('page:user-settings')}
      </SidebarGroup>
    </Sidebar>
  );
}

export const SidebarContent = NavContentBlueprint.make({
  params: { component: KubemateSidebar },
});
