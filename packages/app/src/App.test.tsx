import { render, waitFor, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('shows the demo user picker before anyone is signed in', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
            auth: {
              environment: 'development',
              providers: { demo: { development: { users: ['alice', 'bob'] } } },
            },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    await waitFor(() =>
      expect(screen.getByText('Choose a demo user')).toBeInTheDocument(),
    );
    expect(
      screen.getByRole('button', { name: 'Sign in as alice' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sign in as bob' }),
    ).toBeInTheDocument();
  });
});
