/**
 * CDK entry point (cdk.json "app"): builds the Rotascope app and synthesises it.
 */
import { buildApp } from './build-app.js';

buildApp().app.synth();
