import type { Logger } from '../../lib/logger.js';
import type { SshConnector } from '../../lib/ssh-session.js';
import { createRecipeImageDriver } from './recipe/recipe-image-driver.js';
import { createSshImageDriver } from './ssh/ssh-image-driver.js';
import type { EnsureImageOptions, GoldenImage, ImageDriver, ImageResult, ImageSpec, ImageTarget, RecipeImage } from './types.js';

export interface ImageDrivers {
  golden: ImageDriver<GoldenImage>;
  recipe: ImageDriver<RecipeImage>;
}

export interface ImageDriverDeps {
  connect?: SshConnector;
  log?: Logger;
  stagingDir?: string;
  recipeStampPath?: string;
}

/** One driver per image method, keyed by the `kind` an Image manifest declares. */
export function createImageDrivers(deps: ImageDriverDeps = {}): ImageDrivers {
  return {
    golden: createSshImageDriver({ connect: deps.connect, log: deps.log, stagingDir: deps.stagingDir }),
    recipe: createRecipeImageDriver({ connect: deps.connect, log: deps.log, stampPath: deps.recipeStampPath }),
  };
}

/** Sends the image to the driver of its kind. */
export function ensureImageWith(drivers: ImageDrivers, target: ImageTarget, image: ImageSpec, options?: EnsureImageOptions): Promise<ImageResult> {
  return image.kind === 'golden' ? drivers.golden.ensureImage(target, image, options) : drivers.recipe.ensureImage(target, image, options);
}
