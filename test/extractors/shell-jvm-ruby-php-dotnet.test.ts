import { describe, expect, it } from 'vitest';
import { extractShellCommands } from '../../src/extractors/shell/index.js';
import { refSummary } from '../helpers.js';

const CASES: [string, string[]][] = [
  ['gem install nokogiri', ['RubyGems:nokogiri installed [global]']],
  ['gem install rails -v 7.0.4', ['RubyGems:rails@7.0.4 installed [global]']],
  ["gem install rails --version '~> 7.0'", ['RubyGems:rails ~> 7.0 installed [global]']],
  [
    'sudo gem install bundler:2.4.10 rake',
    ['RubyGems:bundler@2.4.10 installed [global]', 'RubyGems:rake installed [global]'],
  ],
  ['gem install ./local-1.0.gem', []],
  ['gem list', []],
  ['bundle add sidekiq', ['RubyGems:sidekiq installed']],
  [
    'bundle add rspec-rails --version "~> 6.0" --group "development, test"',
    ['RubyGems:rspec-rails ~> 6.0 installed [dev,test]'],
  ],
  ['bundle add devise --github heartcombo/devise', ['RubyGems:devise installed (git)']],
  ['bundle install', []],
  ['bundle exec gem install pry', ['RubyGems:pry installed [global]']],
  ['composer require guzzlehttp/guzzle', ['Packagist:guzzlehttp/guzzle installed']],
  ['composer require monolog/monolog:^2.3 --dev', ['Packagist:monolog/monolog ^2.3 installed [dev]']],
  [
    'composer require "symfony/yaml:5.4.0" phpunit/phpunit',
    ['Packagist:symfony/yaml@5.4.0 installed', 'Packagist:phpunit/phpunit installed'],
  ],
  ['composer require laravel/sanctum 2.11.0', ['Packagist:laravel/sanctum@2.11.0 installed']],
  ['composer require php:^8.1 ext-json', []],
  ['composer global require laravel/installer', ['Packagist:laravel/installer installed [global]']],
  ['composer create-project laravel/laravel blog 8.6.12', ['Packagist:laravel/laravel@8.6.12 installed']],
  ['composer install', []],
  ['dotnet add package Newtonsoft.Json', ['NuGet:Newtonsoft.Json installed']],
  ['dotnet add package Serilog --version 2.10.0', ['NuGet:Serilog@2.10.0 installed']],
  ['dotnet add src/Api/Api.csproj package Dapper -v 2.0.90', ['NuGet:Dapper@2.0.90 installed']],
  ['dotnet add reference ../Core/Core.csproj', []],
  ['Install-Package Newtonsoft.Json -Version 12.0.1', ['NuGet:Newtonsoft.Json@12.0.1 installed']],
  [
    'install-package EntityFramework -version 6.1.3 -ProjectName Web',
    ['NuGet:EntityFramework@6.1.3 installed'],
  ],
  ['nuget install NUnit -Version 3.13.2', ['NuGet:NUnit@3.13.2 installed']],
  ['nuget install packages.config', []],
  [
    'mvn dependency:get -Dartifact=org.apache.logging.log4j:log4j-core:2.14.1',
    ['Maven:org.apache.logging.log4j:log4j-core@2.14.1 installed [global]'],
  ],
  [
    './mvnw org.apache.maven.plugins:maven-dependency-plugin:3.6.0:get -DgroupId=junit -DartifactId=junit -Dversion=4.12',
    ['Maven:junit:junit@4.12 installed [global]'],
  ],
  ['mvn clean install', []],
];

describe('shell: gem, bundle, composer, dotnet, Install-Package, mvn', () => {
  for (const [command, expected] of CASES) {
    it(command, () => {
      const out = extractShellCommands(command, 'install.sh');
      expect(out.refs.map(refSummary)).toEqual(expected);
    });
  }

  it('points at the package word', () => {
    const out = extractShellCommands('gem install rails -v 7.0.4', 'install.sh');
    expect(out.refs[0]?.location).toEqual({ file: 'install.sh', line: 1, column: 13 });
  });
});
