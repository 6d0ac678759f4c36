-- GitHub App configs (docs/github-app.md): the app's slug names its installation page
-- (https://github.com/apps/<slug>/installations/new). NULL for every other config. The app id
-- lives in oauth_client_id and the app's private key, sealed, in oauth_client_secret.
ALTER TABLE configs ADD COLUMN app_slug TEXT;
