from fastapi import APIRouter

from roomsets.kit.errors import problem_responses

router = APIRouter(responses=problem_responses(400, 401))
