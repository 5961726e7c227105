import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { userSettingsTranslationRef } from '@backstage/plugin-user-settings/alpha';

/** Simplified Chinese of Backstage's settings page (where the language is switched). */
export default createTranslationMessages({
  ref: userSettingsTranslationRef,
  full: true,
  messages: {
    'languageToggle.title': '语言',
    'languageToggle.description': '切换界面语言',
    'languageToggle.select': '选择语言 {{language}}',
    'themeToggle.title': '主题',
    'themeToggle.description': '切换主题模式',
    'themeToggle.select': '选择{{theme}}',
    'themeToggle.selectAuto': '选择自动主题',
    'themeToggle.names.light': '浅色',
    'themeToggle.names.dark': '深色',
    'themeToggle.names.auto': '自动',
    'signOutMenu.title': '退出登录',
    'signOutMenu.moreIconTitle': '更多',
    'pinToggle.title': '固定侧边栏',
    'pinToggle.description': '防止侧边栏自动收起',
    'pinToggle.switchTitles.unpin': '取消固定侧边栏',
    'pinToggle.switchTitles.pin': '固定侧边栏',
    'pinToggle.ariaLabelTitle': '固定侧边栏开关',
    'identityCard.title': 'Backstage 身份',
    'identityCard.noIdentityTitle': '没有 Backstage 身份',
    'identityCard.userEntity': '用户实体',
    'identityCard.ownershipEntities': '所属实体',
    'defaultProviderSettings.description':
      '提供对 {{provider}} API 和身份的认证',
    'emptyProviders.title': '没有认证提供方',
    'emptyProviders.description':
      '您可以向 Backstage 添加认证提供方，以便使用这些提供方进行身份认证。',
    'emptyProviders.action.title':
      '打开 app-config.yaml 并按下方高亮部分修改：',
    'emptyProviders.action.readMoreButtonTitle': '了解更多',
    'providerSettingsItem.title.signIn': '登录 {{title}}',
    'providerSettingsItem.title.signOut': '退出 {{title}}',
    'providerSettingsItem.buttonTitle.signIn': '登录',
    'providerSettingsItem.buttonTitle.signOut': '退出',
    'authProviders.title': '可用的提供方',
    'defaultSettingsPage.tabsTitle.general': '通用',
    'defaultSettingsPage.tabsTitle.authProviders': '认证提供方',
    'defaultSettingsPage.tabsTitle.featureFlags': '功能开关',
    'featureFlags.title': '功能开关',
    'featureFlags.description': '切换功能开关后请刷新页面',
    'featureFlags.emptyFlags.title': '没有功能开关',
    'featureFlags.emptyFlags.description':
      '功能开关让插件可以在 Backstage 中注册供用户选择启用的功能，可用于在代码中拆分逻辑以进行手动 A/B 测试等。',
    'featureFlags.emptyFlags.action.title':
      '下方高亮部分是添加功能开关的示例：',
    'featureFlags.emptyFlags.action.readMoreButtonTitle': '了解更多',
    'featureFlags.filterTitle': '筛选',
    'featureFlags.clearFilter': '清除筛选',
    'featureFlags.flagItem.title.disable': '禁用',
    'featureFlags.flagItem.title.enable': '启用',
    'featureFlags.flagItem.subtitle.registeredInApplication': '在应用中注册',
    'featureFlags.flagItem.subtitle.registeredInPlugin':
      '在 {{pluginId}} 插件中注册',
    'settingsLayout.title': '设置',
    sidebarTitle: '设置',
    'profileCard.title': '个人资料',
    'appearanceCard.title': '外观',
  },
});
