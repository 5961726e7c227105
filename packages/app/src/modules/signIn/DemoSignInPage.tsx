import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { appTranslationRef } from '../../i18n/appTranslation';
import { useState } from 'react';
import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
  SignInPage,
} from '@backstage/core-components';
import { configApiRef, IdentityApi, useApi } from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import {
  Button,
  Grid,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import { oidcAuthApiRef } from './oidcAuthApi';

/** Header the backend's demo provider reads (packages/backend/src/modules/demoAuthProvider.ts). */
const DEMO_USER_HEADER = 'x-kubemate-demo-user';
const STORAGE_KEY = 'kubemate.demoUser';

/** The demo users allowed in the current auth environment (empty in production). */
export function useDemoUsers(): string[] {
  const config = useApi(configApiRef);
  const env = config.getOptionalString('auth.environment') ?? 'development';
  return (
    config.getOptionalStringArray(`auth.providers.demo.${env}.users`) ?? []
  );
}

/** Forget the chosen demo user when the person signs out, so the picker shows again. */
function forgetOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      window.localStorage.removeItem(STORAGE_KEY);
      await identity.signOut();
    },
  };
}

function DemoUserPicker(props: {
  users: string[];
  onPick: (user: string) => void;
}) {
  const { t } = useTranslationRef(appTranslationRef);
  return (
    <Page themeId="home">
      <Header title={t('signIn.title')} subtitle={t('signIn.subtitle')} />
      <Content>
        <ContentHeader title={t('signIn.choose')} />
        <Grid container>
          <Grid item xs={12} md={6}>
            <InfoCard title={t('signIn.signInAs')}>
              <Typography variant="body2" paragraph>
                {t('signIn.explanation')}
              </Typography>
              <List>
                {props.users.map(user => (
                  <ListItem key={user} divider>
                    <ListItemText primary={user} />
                    <Button
                      variant="contained"
                      color="primary"
                      aria-label={t('signIn.signInAsUser', { user })}
                      onClick={() => props.onPick(user)}
                    >
                      {t('signIn.signIn')}
                    </Button>
                  </ListItem>
                ))}
              </List>
            </InfoCard>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}

export function KubemateSignInPage(props: SignInPageProps) {
  const users = useDemoUsers();
  const [user, setUser] = useState<string | null>(() => {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return stored && users.includes(stored) ? stored : null;
  });

  if (users.length === 0) {
    return (
      <SignInPage
        {...props}
        auto
        provider={{
          id: 'oidc',
          title: 'Single sign-on',
          message: 'Sign in with your organization account',
          apiRef: oidcAuthApiRef,
        }}
      />
    );
  }
  if (!user) {
    return (
      <DemoUserPicker
        users={users}
        onPick={picked => {
          window.localStorage.setItem(STORAGE_KEY, picked);
          setUser(picked);
        }}
      />
    );
  }
  return (
    <ProxiedSignInPage
      {...props}
      provider="demo"
      headers={{ [DEMO_USER_HEADER]: user }}
      onSignInSuccess={identity =>
        props.onSignInSuccess(forgetOnSignOut(identity))
      }
    />
  );
}
